// Runs after htmx (both deferred, so in order, before DOMContentLoaded, when
// htmx reads its config). The site's Content-Security-Policy allows no inline
// style, so htmx must not add its indicator <style> element.
if (window.htmx) {
  window.htmx.config.includeIndicatorStyles = false;
}
