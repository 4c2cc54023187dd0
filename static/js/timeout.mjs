// Warns two minutes before the idle sign-out, with a way to stay signed in (WCAG 2.2.1).
// The server is the judge of inactivity; this only mirrors its clock for the person.
const WARN_BEFORE_SECONDS = 120;

function csrfToken() {
  const input = document.querySelector("input[name=csrf_token]");
  return input ? input.value : "";
}

export function startIdleTimeout(body) {
  const limit = Number(body.dataset.idleTimeout || 0);
  const dialog = document.getElementById("timeout-dialog");
  if (!limit || !dialog || typeof dialog.showModal !== "function") return;
  const countdown = document.getElementById("timeout-countdown");
  let deadline = Date.now() + limit * 1000;
  let warned = false;

  function reset() {
    deadline = Date.now() + limit * 1000;
    warned = false;
    if (dialog.open) dialog.close();
  }
  // Other scripts (autosave) say when the server has seen activity.
  document.addEventListener("rhi:activity", reset);

  document.getElementById("timeout-stay").addEventListener("click", async () => {
    try {
      const response = await fetch(body.dataset.keepAliveUrl, {
        method: "POST",
        headers: { "X-CSRFToken": csrfToken() },
        credentials: "same-origin",
      });
      if (response.ok) { reset(); return; }
    } catch (error) { /* fall through to the sign-in page */ }
    window.location.href = body.dataset.signOutUrl;
  });

  window.setInterval(() => {
    const left = Math.round((deadline - Date.now()) / 1000);
    if (left <= 0) {
      window.location.href = body.dataset.signOutUrl;
    } else if (left <= WARN_BEFORE_SECONDS) {
      const minutes = Math.ceil(left / 60);
      countdown.textContent = left > 60 ? `${minutes} minutes` : `${left} seconds`;
      if (!warned) { warned = true; dialog.showModal(); }
    }
  }, 1000);
}
