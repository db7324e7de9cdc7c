// Loaded synchronously at the start of <body>: marks the page as able to run GOV.UK Frontend's
// ES modules. An external file rather than the template's inline snippet, so that the
// Content-Security-Policy needs no 'unsafe-inline' for scripts.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
