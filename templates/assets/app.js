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

  // Forms marked data-confirm ask before an action that cannot be undone.
  for (const form of document.querySelectorAll('form[data-confirm]')) {
    form.addEventListener('submit', (event) => {
      if (!window.confirm(form.getAttribute('data-confirm'))) event.preventDefault();
    });
  }
});
