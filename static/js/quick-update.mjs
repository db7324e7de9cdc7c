// Quick progress updates on "My actions" (forms marked data-app-quick-update), saved in place.
//
// The form is sent in the background with a header the progress view recognises; it answers with the
// action's card alone: updated (200), with the form's errors (400) or with the other person's version
// after a refused stale save (409). The card replaces the old one where it stands, so the person keeps
// their place in the list, and focus moves to the confirmation or to the error summary. Anything else
// (a network failure, a signed-out session) falls back to an ordinary submission. Without JavaScript
// the form posts as usual and returns to this page at the action (?next=…#action-<pk>).
import { initAll } from "../dist/govuk/govuk-frontend.min.js";

const HEADER = "app-quick-update";
const CARD_STATUSES = new Set([200, 400, 409]);

function submitNormally(form) {
  // The submit button is an <input name="submit">, which hides form.submit(): call the method itself.
  HTMLFormElement.prototype.submit.call(form);
}

function setUp(scope) {
  for (const form of scope.querySelectorAll("form[data-app-quick-update]")) {
    form.addEventListener("submit", (event) => send(event, form));
  }
}

async function send(event, form) {
  event.preventDefault();
  if (form.dataset.sending) {
    return; // a second press while the update is on its way
  }
  form.dataset.sending = "true";
  const card = form.closest("[data-app-action-card]");
  let response;
  try {
    response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Requested-With": HEADER },
      credentials: "same-origin",
      redirect: "manual",
    });
  } catch {
    submitNormally(form);
    return;
  }
  const type = response.headers.get("Content-Type") || "";
  if (!card || !CARD_STATUSES.has(response.status) || !type.startsWith("text/html")) {
    submitNormally(form);
    return;
  }
  const template = document.createElement("template");
  template.innerHTML = (await response.text()).trim();
  const fresh = template.content.firstElementChild;
  if (!fresh || !fresh.matches("[data-app-action-card]")) {
    submitNormally(form);
    return;
  }
  card.replaceWith(fresh);
  setUp(fresh);
  // Starts the new card's components; the error summary, if any, takes focus as it starts.
  initAll(fresh);
  const saved = fresh.querySelector("[data-app-saved]");
  if (saved) {
    saved.focus();
  }
}

setUp(document);
