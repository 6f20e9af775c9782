// Progressive enhancement only: every page works without this file.
(() => {
  // Quick exit, as GOV.UK's "Exit this page": the button, or Shift pressed three times.
  const link = document.querySelector('.quick-exit');
  if (link) {
    const leave = (event) => {
      if (event) event.preventDefault();
      document.body.setAttribute('data-exit-loading', link.getAttribute('data-loading') || '');
      document.documentElement.classList.add('exiting');
      document.title = '';
      // The server ends the session and sends the browser on to the neutral site;
      // replace() keeps this page out of the back history.
      window.location.replace(link.getAttribute('href') || '/exit');
    };
    link.addEventListener('click', leave);
    let presses = 0;
    let timer = 0;
    document.addEventListener('keydown', (event) => {
      if (event.key !== 'Shift') presses = 0;
    });
    document.addEventListener('keyup', (event) => {
      if (event.key !== 'Shift') return;
      presses += 1;
      window.clearTimeout(timer);
      timer = window.setTimeout(() => {
        presses = 0;
      }, 5000);
      if (presses >= 3) {
        presses = 0;
        leave();
      }
    });
  }

  // A gentle, live nudge towards longer passphrases; it never blocks anything.
  const wrappers = document.querySelectorAll('[data-passphrase-hint]');
  Array.prototype.forEach.call(wrappers, (wrapper) => {
    const input = wrapper.querySelector('input');
    if (!input) return;
    const recommended = Number(wrapper.getAttribute('data-recommended')) || 15;
    const output = document.createElement('p');
    output.className = 'hint passphrase-length';
    output.setAttribute('aria-live', 'polite');
    input.insertAdjacentElement('afterend', output);
    input.addEventListener('input', () => {
      const length = Array.from(input.value).length;
      let text = length
        ? `${wrapper.getAttribute('data-length-label')} ${length.toLocaleString(document.documentElement.lang)}`
        : '';
      if (length >= recommended) text += ` ${wrapper.getAttribute('data-strong-text')}`;
      output.textContent = text;
    });
  });
})();
