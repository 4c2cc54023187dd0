// Keeps an interview page's draft safe while someone types.
//
// Every 30 seconds, if anything on the page changed, the form is posted to its autosave address. A
// refused save loses nothing: the words stay in the page (never in browser storage, which would keep
// a child's words on a shared tablet), and the save is tried again once the connection is back or the
// person has signed in again in another tab.
const SAVE_EVERY_MS = 30000;
const RETRY_MS = 10000;
const SIGN_IN_CHECK_MS = 5000;

function clock() {
  return new Date().toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
}

export function startAutosave(root = document) {
  const form = root.querySelector("form[data-autosave-url]");
  if (!form) return;
  const status = document.getElementById("autosave-status");
  const version = form.querySelector("input[name=version]");
  // What the server sent, not what is in the fields now: anything typed before this script ran
  // (a slow connection) still counts as a change to save.
  let saved = sentSnapshot();
  let busy = false;
  let stopped = false;
  let submitting = false;
  let retryTimer = null;
  let signInTimer = null;
  let banner = null;

  function snapshot() {
    const data = new FormData(form);
    for (const name of ["csrf_token", "version", "action"]) data.delete(name);
    return new URLSearchParams(data).toString();
  }

  function sentSnapshot() {
    const data = new URLSearchParams();
    for (const field of form.elements) {
      if (!field.name || field.disabled || ["csrf_token", "version", "action"].includes(field.name)) continue;
      if (field.type === "checkbox" || field.type === "radio") {
        if (field.defaultChecked) data.append(field.name, field.value);
      } else if (field.tagName === "SELECT") {
        for (const option of field.options) if (option.defaultSelected) data.append(field.name, option.value);
      } else if (!["submit", "button", "file", "reset"].includes(field.type)) {
        data.append(field.name, field.defaultValue);
      }
    }
    return data.toString();
  }

  function token() {
    const input = form.querySelector("input[name=csrf_token]");
    return input ? input.value : "";
  }

  function say(text) {
    if (status) status.textContent = text;
  }

  function showBanner(title, text, link) {
    hideBanner();
    banner = document.createElement("div");
    banner.className = "govuk-notification-banner rhi-autosave-banner";
    banner.setAttribute("role", "alert");
    banner.id = "autosave-banner";
    const header = document.createElement("div");
    header.className = "govuk-notification-banner__header";
    const heading = document.createElement("h2");
    heading.className = "govuk-notification-banner__title";
    heading.textContent = title;
    header.append(heading);
    const content = document.createElement("div");
    content.className = "govuk-notification-banner__content";
    const paragraph = document.createElement("p");
    paragraph.className = "govuk-notification-banner__heading";
    paragraph.textContent = text;
    content.append(paragraph);
    if (link) {
      const anchor = document.createElement("a");
      anchor.className = "govuk-notification-banner__link";
      anchor.href = link.href;
      anchor.target = "_blank";
      anchor.rel = "noopener";
      anchor.textContent = link.text;
      const p = document.createElement("p");
      p.className = "govuk-body";
      p.append(anchor);
      content.append(p);
    }
    banner.append(header, content);
    form.before(banner);
  }

  function hideBanner() {
    if (banner) banner.remove();
    banner = null;
  }

  function retrySoon() {
    window.clearTimeout(retryTimer);
    retryTimer = window.setTimeout(save, RETRY_MS);
  }

  async function freshToken() {
    const response = await fetch(form.dataset.tokenUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    if (!response.ok) return false;
    const answer = await response.json();
    // Every form on the page gets the new session's token, so "Save and continue" works too.
    document.querySelectorAll("input[name=csrf_token]").forEach((input) => { input.value = answer.token; });
    return true;
  }

  function waitForSignIn(signInUrl) {
    say("Not saved: you have been signed out");
    showBanner(
      "You have been signed out",
      "Nothing on this page is lost: it stays here, but it has not been saved. Sign in again in a new tab and come back: it will then be saved.",
      { href: signInUrl || form.dataset.signInUrl, text: "Sign in again in a new tab (opens in a new tab)" },
    );
    window.clearInterval(signInTimer);
    signInTimer = window.setInterval(async () => {
      try {
        if (await freshToken()) {
          window.clearInterval(signInTimer);
          hideBanner();
          save();
        }
      } catch (error) { /* still offline or signed out: keep waiting */ }
    }, SIGN_IN_CHECK_MS);
  }

  async function save() {
    if (busy || stopped || submitting) return;
    const current = snapshot();
    if (current === saved) return;
    busy = true;
    const body = new URLSearchParams(new FormData(form));
    body.delete("action");
    try {
      const response = await fetch(form.dataset.autosaveUrl, {
        method: "POST",
        body,
        headers: { "X-CSRFToken": token(), Accept: "application/json" },
        credentials: "same-origin",
      });
      const answer = await response.json().catch(() => ({}));
      if (response.ok) {
        version.value = answer.version;
        saved = current;
        hideBanner();
        if (answer.status === "partly_saved") {
          say("Draft saved, except an answer with a problem: press \u201cSave and continue\u201d to see it");
        } else {
          say(`Draft saved at ${clock()}`);
        }
        if (answer.activity) document.dispatchEvent(new Event("rhi:activity"));
      } else if (response.status === 401) {
        waitForSignIn(answer.sign_in_url);
      } else if (response.status === 400 && answer.status === "stale_token") {
        if (await freshToken()) retrySoon(); else waitForSignIn();
      } else if (response.status === 409) {
        stopped = true;
        say("Not saved");
        showBanner(answer.status === "conflict" ? "Someone else changed this section" : "Not saved", answer.message || "This page can no longer be saved.");
      } else {
        say("Not saved. Trying again\u2026");
        retrySoon();
      }
    } catch (error) {
      say("Not saved: no connection. Trying again\u2026");
      retrySoon();
    } finally {
      busy = false;
    }
  }

  form.addEventListener("submit", () => { submitting = true; });
  window.addEventListener("online", save);
  window.addEventListener("beforeunload", (event) => {
    if (!submitting && snapshot() !== saved) event.preventDefault();
  });
  // The server may set a shorter interval (the browser tests do); 30 seconds otherwise.
  const every = Number(form.dataset.autosaveEvery || 0) * 1000 || SAVE_EVERY_MS;
  window.setInterval(save, every);
}
