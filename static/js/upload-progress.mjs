// Upload progress for forms marked data-module="app-upload-progress" (the police.uk crime data import).
//
// A force-wide year of street-level files is tens of megabytes: without feedback people think the page
// has stuck and press the button again. The form is sent with XMLHttpRequest, whose upload events report
// progress (fetch has none), asking for JSON. The view answers {redirect} once the import is saved, which
// is followed, or {errors}: the form is then submitted the ordinary way so that the server renders the
// error summary. Without JavaScript the form posts as usual and nothing here runs.

// A screen reader hears every tenth percent, not every progress event.
const ANNOUNCE_STEP = 10;

function sameOriginUrl(text) {
  try {
    const url = new URL(text, window.location.href);
    return url.origin === window.location.origin ? url.href : null;
  } catch {
    return null;
  }
}

function setUpForm(form) {
  const panel = form.querySelector(".app-upload-progress");
  const bar = panel && panel.querySelector("progress");
  const status = panel && panel.querySelector("[role='status']");
  if (!panel || !bar || !status) {
    return;
  }
  let sending = false;
  let announced = -ANNOUNCE_STEP;

  function show(percent) {
    bar.value = percent;
    bar.textContent = `${percent}%`;
    if (percent >= announced + ANNOUNCE_STEP || percent === 100) {
      announced = percent - (percent % ANNOUNCE_STEP);
      status.textContent = `Uploading: ${percent}% sent`;
    }
  }

  function submitNormally(message) {
    status.textContent = message;
    // The submit button is an <input name="submit">, which hides form.submit(): call the method itself.
    HTMLFormElement.prototype.submit.call(form);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (sending) {
      return; // a second press while the files are on their way
    }
    sending = true;
    const button = event.submitter;
    const data = new FormData(form);
    if (button && button.name) {
      data.append(button.name, button.value);
    }
    const request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.setRequestHeader("Accept", "application/json");
    request.responseType = "json";

    request.upload.addEventListener("progress", (progress) => {
      if (progress.lengthComputable && progress.total > 0) {
        show(Math.min(100, Math.floor((progress.loaded * 100) / progress.total)));
      }
    });
    request.upload.addEventListener("load", () => {
      show(100);
      status.textContent = "Upload complete. Importing the rows: this can take a minute for a large file.";
    });
    request.addEventListener("load", () => {
      const answer = request.response;
      const next = answer && typeof answer.redirect === "string" ? sameOriginUrl(answer.redirect) : null;
      if (request.status >= 200 && request.status < 300 && next) {
        status.textContent = "Import complete. Opening the summary.";
        window.location.assign(next);
        return;
      }
      // Refused files (or any other answer): let the server show the page with what went wrong.
      submitNormally("The files were not imported. Sending them again to show you why.");
    });
    for (const failure of ["error", "abort", "timeout"]) {
      request.addEventListener(failure, () => {
        submitNormally("The upload did not finish. Trying again without progress.");
      });
    }

    panel.hidden = false;
    if (button) {
      button.disabled = true;
      button.setAttribute("aria-disabled", "true");
    }
    show(0);
    request.send(data);
  });
}

for (const form of document.querySelectorAll("form[data-module='app-upload-progress']")) {
  setUpForm(form);
  // Marked as started, as GOV.UK Frontend marks its components (data-<module>-init).
  form.setAttribute("data-app-upload-progress-init", "");
}
