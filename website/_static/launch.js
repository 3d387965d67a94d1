/* The JupyterHub button of a site built without a hub address: ask the reader for their hub
 * once (their instructor gives it), remember it in this browser, and open the nbgitpuller
 * link that the site built, on that hub. */
document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-ask-hub]");
  if (!link) return;
  event.preventDefault();
  const saved = localStorage.getItem("course-hub") || "https://";
  const hub = window.prompt("The address of your JupyterHub (your instructor gives it):", saved);
  if (!hub || !/^https?:\/\/[^/]+/.test(hub)) return;
  localStorage.setItem("course-hub", hub);
  const built = new URL(link.href);
  window.location.href = hub.replace(/\/+$/, "") + built.pathname + built.search;
});
