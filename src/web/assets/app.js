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

  // Drafts (ADR 0040): a composer saves what is written a moment after typing stops, through the
  // drafts API, and says so quietly. The Save draft button does the same without JavaScript.
  const statuses = document.querySelectorAll('[data-draft-api]');
  Array.prototype.forEach.call(statuses, (status) => {
    const form = status.closest('form');
    const token = form?.querySelector('input[name="_csrf"]');
    if (!form || !token) return;
    const discard = form.querySelector('[data-draft-discard]');
    const field = (name) => form.elements.namedItem(name);
    const value = (name) => {
      const element = field(name);
      return element && 'value' in element ? element.value : '';
    };
    const anonymous = () => {
      const box = field('anonymous');
      return Boolean(box?.checked);
    };
    let timer = 0;
    let pending = null;
    let last = null;
    const send = () => {
      timer = 0;
      // No draft of an anonymous post: ticking the box deletes the one kept before (ADR 0040).
      const body = anonymous()
        ? null
        : {
            body: value('body'),
            warning: value('warning') || null,
            warningText: value('warningText') || null,
          };
      if (body && field('title')) body.title = value('title');
      if (body && field('quotePostId')) body.quotePostId = value('quotePostId') || null;
      const key = JSON.stringify(body);
      if (key === last) return pending;
      const request = fetch(status.getAttribute('data-draft-api'), {
        method: body ? 'PUT' : 'DELETE',
        credentials: 'same-origin',
        headers: body
          ? { 'content-type': 'application/json', 'x-csrf-token': token.value }
          : { 'x-csrf-token': token.value },
        body: body ? key : undefined,
      })
        .then((response) => {
          if (!response.ok) throw new Error(String(response.status));
          last = key;
          if (!body) {
            status.textContent = status.getAttribute('data-anonymous');
            if (discard) discard.hidden = true;
            return;
          }
          return response.json().then((answer) => {
            status.textContent = answer.draft ? status.getAttribute('data-saved') : '';
            if (discard) discard.hidden = !answer.draft;
          });
        })
        .catch(() => {
          status.textContent = status.getAttribute('data-failed');
        })
        .then(() => {
          if (pending === request) pending = null;
        });
      pending = request;
      return request;
    };
    const later = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(send, 2000);
    };
    form.addEventListener('input', later);
    form.addEventListener('change', later);
    // Posting, previewing or discarding waits for a save already on its way, so that it cannot land
    // after the post was published and bring the draft back.
    let releasing = false;
    form.addEventListener('submit', (event) => {
      window.clearTimeout(timer);
      timer = 0;
      if (!pending || releasing) return;
      event.preventDefault();
      const submitter = event.submitter;
      pending.then(() => {
        releasing = true;
        if (submitter) form.requestSubmit(submitter);
        else form.requestSubmit();
      });
    });
  });
})();
