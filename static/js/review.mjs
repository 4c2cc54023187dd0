// Adding a tag by selecting words: a selection inside one of the answers fills in the form's
// "exact words" and chooses that answer. Without JavaScript the person types the words instead.
export function startTagSelection(root) {
  const sources = root.querySelector("[data-tag-sources]");
  const form = root.querySelector(".rhi-add-tag-form");
  if (!sources || !form) return;
  const words = form.querySelector("input[name='words']");
  document.addEventListener("selectionchange", () => {
    const selection = document.getSelection();
    if (!selection || selection.isCollapsed || !words) return;
    const anchor = selection.anchorNode && selection.anchorNode.parentElement;
    const block = anchor && anchor.closest("[data-source-key]");
    if (!block || !sources.contains(block)) return;
    const text = selection.toString().replace(/\s+/g, " ").trim();
    if (!text) return;
    words.value = text.slice(0, 300);
    const key = block.getAttribute("data-source-key");
    for (const radio of form.querySelectorAll("input[name='source_key']")) {
      if (radio.value === key) radio.checked = true;
    }
  });
}
