// Evidence uploads, enhanced where scripts run: files may be dropped
// anywhere on the form, and the upload shows its progress. Without this
// script the same forms post as plain multipart forms.
(function () {
  'use strict';
  if (window.taizhangUpload) { return; }
  window.taizhangUpload = true;

  function enhance(form) {
    var input = form.querySelector('input[type=file][data-upload]');
    if (!input || form.dataset.enhanced) { return; }
    form.dataset.enhanced = '1';
    form.addEventListener('dragover', function (e) {
      e.preventDefault();
      form.classList.add('dragging');
    });
    form.addEventListener('dragleave', function () { form.classList.remove('dragging'); });
    form.addEventListener('drop', function (e) {
      e.preventDefault();
      form.classList.remove('dragging');
      if (e.dataTransfer && e.dataTransfer.files.length) { input.files = e.dataTransfer.files; }
    });
    form.addEventListener('submit', function (e) {
      if (!input.files.length || !window.FormData) { return; }
      e.preventDefault();
      send(form);
    });
  }

  // Posts the form with its files, showing how much has gone, then shows
  // the page the server answered with (the owner's page, or the refusal).
  function send(form) {
    var bar = form.querySelector('progress');
    var button = form.querySelector('button[type=submit]');
    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    xhr.upload.addEventListener('progress', function (e) {
      if (bar && e.lengthComputable) { bar.value = Math.round(100 * e.loaded / e.total); }
    });
    xhr.addEventListener('load', function () {
      var doc = new DOMParser().parseFromString(xhr.responseText, 'text/html');
      document.replaceChild(document.adoptNode(doc.documentElement), document.documentElement);
      if (xhr.responseURL && xhr.responseURL !== form.action) {
        history.replaceState(null, '', xhr.responseURL + '#files');
      }
      init();
    });
    xhr.addEventListener('error', function () {
      if (button) { button.disabled = false; }
      if (bar) { bar.hidden = true; }
      window.alert('上传失败：网络中断，请重试');
    });
    if (bar) { bar.hidden = false; bar.value = 0; }
    if (button) { button.disabled = true; }
    xhr.send(new FormData(form));
  }

  function init() {
    var forms = document.querySelectorAll('form');
    for (var i = 0; i < forms.length; i++) { enhance(forms[i]); }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
}());
