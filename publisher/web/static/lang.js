// Remember the language chosen with the switcher: the server reads the `lang` cookie.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a[data-lang]");
  if (link) {
    document.cookie = "lang=" + link.getAttribute("data-lang") + "; path=/; max-age=31536000; samesite=lax";
  }
});
