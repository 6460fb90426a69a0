// The one script of the pages (they work without it): "/" puts the cursor in the search box,
// as on GitHub or Datasette, unless the user is typing somewhere already.
document.addEventListener("keydown", function (event) {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
  var target = event.target;
  if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
  var box = document.querySelector("header input[type=search]");
  if (!box) return;
  event.preventDefault();
  box.focus();
  box.select();
});
