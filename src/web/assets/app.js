// Progressive enhancement only: every page works without this file.
(function () {
  'use strict';

  // Quick exit, as GOV.UK's "Exit this page": the button, or Shift pressed three times.
  var link = document.querySelector('.quick-exit');
  if (link) {
    var leave = function (event) {
      if (event) event.preventDefault();
      document.body.setAttribute('data-exit-loading', link.getAttribute('data-loading') || '');
      document.documentElement.classList.add('exiting');
      document.title = '';
      // The server ends the session and sends the browser on to the neutral site;
      // replace() keeps this page out of the back history.
      window.location.replace(link.getAttribute('href') || '/exit');
    };
    link.addEventListener('click', leave);
    var presses = 0;
    var timer = 0;
    document.addEventListener('keydown', function (event) {
      if (event.key !== 'Shift') presses = 0;
    });
    document.addEventListener('keyup', function (event) {
      if (event.key !== 'Shift') return;
      presses += 1;
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { presses = 0; }, 5000);
      if (presses >= 3) {
        presses = 0;
        leave();
      }
    });
  }

  // A gentle, live nudge towards longer passphrases; it never blocks anything.
  var wrappers = document.querySelectorAll('[data-passphrase-hint]');
  Array.prototype.forEach.call(wrappers, function (wrapper) {
    var input = wrapper.querySelector('input');
    if (!input) return;
    var recommended = Number(wrapper.getAttribute('data-recommended')) || 15;
    var output = document.createElement('p');
    output.className = 'hint passphrase-length';
    output.setAttribute('aria-live', 'polite');
    input.insertAdjacentElement('afterend', output);
    input.addEventListener('input', function () {
      var length = Array.from(input.value).length;
      var text = length ? wrapper.getAttribute('data-length-label') + ' ' + length.toLocaleString(document.documentElement.lang) : '';
      if (length >= recommended) text += ' ' + wrapper.getAttribute('data-strong-text');
      output.textContent = text;
    });
  });
})();
