// A link to an anchor inside a folded block (<details>) opens the block and brings the anchor into view.
(() => {
  const open = () => {
    const id = decodeURIComponent(location.hash.slice(1));
    const el = id && document.getElementById(id);
    if (!el) return;
    for (let d = el.closest("details"); d; d = d.parentElement && d.parentElement.closest("details")) d.open = true;
    el.scrollIntoView();
    if (el.tagName === "TR") el.classList.add("target-row");
  };
  window.addEventListener("hashchange", open);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", open); else open();
  window.addEventListener("load", open);  // again once images have their size, so the row stays in view
})();
