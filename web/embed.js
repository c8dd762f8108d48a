/* yibao embed helper for host pages (government portals, articles).
 *
 *   <iframe src="https://…/?embed=1&r=tianjin-2023" data-yibao title="医保报销测算"
 *           style="width:100%;border:0" loading="lazy"></iframe>
 *   <script src="https://…/embed.js" defer></script>
 *
 * The calculator, opened with ?embed=1, posts {type: "yibao:height", height} to its parent
 * whenever its height changes; this script sets the height of the iframe that sent it.
 * Only iframes marked data-yibao are sized, and only from their own origin.
 * A frame sized to its content never scrolls itself, so this script also tells each frame
 * how much of it is visible ({type: "yibao:viewport", bottom}: the visible bottom edge in
 * the frame's own pixels), for the calculator to keep its answer bar in view.
 * ES5, no dependencies, nothing sent anywhere. */
(function () {
  "use strict";
  var MIN = 200;
  var MAX = 20000;

  function originOf(src) {
    try {
      return new URL(src, window.location.href).origin;
    } catch (e) {
      return null;
    }
  }

  function tellViewport() {
    var frames = document.querySelectorAll("iframe[data-yibao]");
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i];
      var origin = originOf(frame.src);
      // Only a frame that has spoken from its own origin has loaded the calculator: before
      // that it is about:blank, and a message for the calculator's origin would be refused.
      if (!frame.contentWindow || !origin || !frame.hasAttribute("data-yibao-ready")) continue;
      var rect = frame.getBoundingClientRect();
      var bottom = Math.max(0, Math.min(rect.height, window.innerHeight - rect.top));
      frame.contentWindow.postMessage({ type: "yibao:viewport", bottom: Math.round(bottom) }, origin);
    }
  }
  var pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    (window.requestAnimationFrame || setTimeout)(function () {
      pending = false;
      tellViewport();
    });
  }
  window.addEventListener("scroll", schedule, { passive: true });
  window.addEventListener("resize", schedule);

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.type !== "yibao:height" || typeof data.height !== "number" || !isFinite(data.height)) return;
    var frames = document.querySelectorAll("iframe[data-yibao]");
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i];
      if (frame.contentWindow !== event.source) continue;
      if (originOf(frame.src) !== event.origin) return;
      var height = Math.max(MIN, Math.min(MAX, Math.ceil(data.height)));
      frame.style.height = height + "px";
      frame.setAttribute("data-yibao-ready", "");
      schedule();
      return;
    }
  });
})();
