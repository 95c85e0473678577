// Small page helpers: back-to-top and the font-size switch seen on most county portals.
(function () {
  var top = document.querySelector('.gotop');
  if (top) { top.addEventListener('click', function (e) { e.preventDefault(); window.scrollTo(0, 0); }); }
  var wza = document.getElementById('wza');
  if (wza) { wza.addEventListener('click', function () { document.body.style.fontSize = '18px'; }); }
})();
