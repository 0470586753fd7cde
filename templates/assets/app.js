// Progressive enhancement only: every page works without this script.
document.addEventListener('DOMContentLoaded', () => {
  // An error summary takes the focus, so screen readers announce it and keyboard users start there.
  const summary = document.getElementById('resume-erreurs');
  if (summary) summary.focus();

  // "Copier" buttons: <button data-copy="#id"> copies the text or value of the element it names.
  for (const button of document.querySelectorAll('button[data-copy]')) {
    button.hidden = false;
    button.addEventListener('click', async () => {
      const target = document.querySelector(button.getAttribute('data-copy'));
      if (!target) return;
      const value = 'value' in target ? target.value : target.textContent;
      try {
        await navigator.clipboard.writeText(value.trim());
        button.textContent = 'Copié';
      } catch {
        if ('select' in target) target.select();
      }
    });
  }

  // The communes of a postcode that has several, offered as soon as it is typed (partials/commune-choice.hbs;
  // without this script the form comes back with them).
  for (const slot of document.querySelectorAll('[data-commune-choice]')) {
    const input = document.getElementById(slot.getAttribute('data-postcode-input'));
    if (!input) continue;
    let shownFor = input.value.trim();
    input.addEventListener('change', async () => {
      const postcode = input.value.trim();
      if (postcode === shownFor) return;
      shownFor = postcode;
      let communes = [];
      if (/^\d{5}$/.test(postcode)) {
        try {
          const response = await fetch(`/api/communes?postcode=${postcode}`, { headers: { accept: 'application/json' } });
          if (!response.ok) return;
          communes = await response.json();
        } catch {
          return;
        }
      }
      if (input.value.trim() !== postcode) return;
      slot.replaceChildren(...(communes.length > 1 ? [communeChoice(slot, postcode, communes)] : []));
    });
  }

  // Forms marked data-confirm ask before an action that cannot be undone.
  for (const form of document.querySelectorAll('form[data-confirm]')) {
    form.addEventListener('submit', (event) => {
      if (!window.confirm(form.getAttribute('data-confirm'))) event.preventDefault();
    });
  }
});

/** The same fieldset as partials/commune-choice.hbs, for `communes` ({code, name, inMetropolis}) of `postcode`. */
function communeChoice(slot, postcode, communes) {
  const id = slot.getAttribute('data-id');
  const element = (tag, properties = {}, ...children) => {
    const made = Object.assign(document.createElement(tag), properties);
    made.append(...children);
    return made;
  };
  const fieldset = element('fieldset', { className: 'commune-choice' });
  fieldset.setAttribute('aria-describedby', `${id}-hint`);
  fieldset.append(
    element('legend', {}, 'Commune ', element('span', { className: 'required' }, '(obligatoire)')),
    element('p', { className: 'hint', id: `${id}-hint` }, `Le code postal ${postcode} couvre plusieurs communes : choisissez celle de la structure.`),
    element('input', { type: 'hidden', name: slot.getAttribute('data-offered'), value: postcode }),
  );
  communes.forEach((commune, index) => {
    const radioId = index === 0 ? id : `${id}-${commune.code}`;
    const area = commune.inMetropolis ? 'dans la Métropole' : 'hors Métropole';
    fieldset.append(
      element(
        'div',
        { className: 'check' },
        element('input', { type: 'radio', id: radioId, name: slot.getAttribute('data-name'), value: commune.code }),
        element('label', { htmlFor: radioId }, `${commune.name} `, element('span', { className: 'meta' }, `(${area})`)),
      ),
    );
  });
  return fieldset;
}
