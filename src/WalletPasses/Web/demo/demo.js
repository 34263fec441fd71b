// The demo page: create a demo member, show its wallet links as QR codes, send loyalty events, and draw
// the pass from its pass.json and pass.strings, polling so the preview follows processed events.
'use strict';

(() => {
  const POLL_MS = 1000;
  const numbers = new Intl.NumberFormat();
  const $ = (id) => document.getElementById(id);
  let memberId = null;
  let shownVersion = null;

  function drawQr(canvas, text, moduleSize) {
    const qr = qrcode(0, 'M');
    qr.addData(text);
    qr.make();
    const margin = 4;
    const count = qr.getModuleCount();
    canvas.width = canvas.height = (count + 2 * margin) * moduleSize;
    const context = canvas.getContext('2d');
    context.fillStyle = '#fff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.fillStyle = '#000';
    for (let row = 0; row < count; row++) {
      for (let column = 0; column < count; column++) {
        if (qr.isDark(row, column)) {
          context.fillRect((column + margin) * moduleSize, (row + margin) * moduleSize, moduleSize, moduleSize);
        }
      }
    }
  }

  async function createMember() {
    $('create').disabled = true;
    try {
      const response = await fetch('/api/demo/members', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      if (!response.ok) {
        throw new Error(`HTTP ${response.status}`);
      }
      const member = await response.json();
      memberId = member.memberId;
      shownVersion = null;
      showLinks(member);
      $('member-panel').hidden = false;
      document.dispatchEvent(new CustomEvent('demo:member', { detail: memberId })); // delivery.js follows this member
      await refresh();
    } catch (error) {
      $('event-status').textContent = `Could not create a member: ${error.message}`;
    } finally {
      $('create').disabled = false;
    }
  }

  function showLinks(member) {
    $('member-id').textContent = member.memberId;
    $('apple-link').href = member.apple.passUrl;
    drawQr($('apple-qr'), member.apple.passUrl, 3);
    const google = member.google?.saveUrl;
    $('google').hidden = !google;
    $('google-off').hidden = Boolean(google);
    if (google) {
      $('google-link').href = google;
      drawQr($('google-qr'), google, 3);
    }
    const host = new URL(member.apple.passUrl).hostname;
    $('lan-hint').hidden = !(host === 'localhost' || host.startsWith('127.'));
  }

  async function send(button) {
    if (!memberId) {
      return;
    }
    const body = { type: button.dataset.type };
    if (button.dataset.amount) {
      body.amount = Number(button.dataset.amount);
    }
    const response = await fetch(`/api/demo/members/${encodeURIComponent(memberId)}/events`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    const problem = response.ok ? null : await response.json().catch(() => ({}));
    $('event-status').textContent = response.ok
      ? `Sent "${button.textContent}"; the pass updates when the event is processed.`
      : `Not sent: ${problem.detail || Object.values(problem.errors || {}).flat().join(' ') || response.status}`;
  }

  async function refresh() {
    if (!memberId) {
      return;
    }
    try {
      const response = await fetch(`/api/demo/members/${encodeURIComponent(memberId)}/pass`, { cache: 'no-store' });
      if (response.ok) {
        const preview = await response.json();
        if (preview.version !== shownVersion) {
          render(preview);
          shownVersion = preview.version;
        }
      }
    } catch {
      // The app restarted or the network blinked: the next poll tries again.
    }
  }

  function render(preview) {
    const pass = preview.passJson;
    const card = pass.storeCard;
    const text = (value) => (typeof value === 'string' && value in preview.strings ? preview.strings[value] : value);
    const root = $('pass');
    root.hidden = false;
    root.style.setProperty('--background', pass.backgroundColor);
    root.style.setProperty('--foreground', pass.foregroundColor);
    root.style.setProperty('--label', pass.labelColor);
    $('pass-logo').src = preview.images.logo;
    $('pass-strip').src = preview.images.strip;
    $('pass-logo-text').textContent = text(pass.logoText);
    showField('pass-tier', card.headerFields[0], text);
    showField('pass-points', card.primaryFields[0], text);
    showField('pass-member', card.secondaryFields[0], text);

    const offers = card.backFields.filter((f) => f.key.startsWith('offer-'));
    $('pass-offers').replaceChildren(...offers.map((offer) => {
      const item = document.createElement('li');
      item.textContent = text(offer.value);
      return item;
    }));
    $('pass-back').replaceChildren(...card.backFields.flatMap((field) => {
      const term = document.createElement('dt');
      term.textContent = field.label ? text(field.label) : '';
      const description = document.createElement('dd');
      description.textContent = text(field.value);
      return [term, description];
    }));
    drawQr($('pass-barcode'), pass.barcodes[0].message, 3);
    $('pass-barcode-text').textContent = pass.barcodes[0].altText || '';
    $('pass-voided').hidden = !pass.voided;
    renderPoster(preview, text);
    $('pass-version').textContent = `Pass version ${preview.version}, serial ${pass.serialNumber}`;
  }

  // The poster generic look iOS 27 shows when the pass has one (older iOS shows the store card above): the same
  // pass.json's posterGeneric fields on the artwork, and its featured actions as cards below the pass.
  const ACTION_NAMES = {
    membershipBenefits: 'View Membership Benefits',
    viewOffersRewards: 'View Offers and Rewards',
    shop: 'Shop Online or In-App',
    order: 'Order Delivery or Pickup',
    addToBalance: 'Add to Balance',
  };

  function renderPoster(preview, text) {
    const pass = preview.passJson;
    const poster = pass.posterGeneric;
    $('poster-look').hidden = !poster;
    if (!poster) {
      return;
    }
    const root = $('poster');
    root.style.setProperty('--background', pass.backgroundColor);
    root.style.setProperty('--foreground', pass.foregroundColor);
    root.style.setProperty('--label', pass.labelColor);
    root.style.backgroundImage = preview.images.artwork ? `url("${preview.images.artwork}")` : '';
    $('poster-logo').src = preview.images.primaryLogo || preview.images.logo;
    showField('poster-header', poster.headerFields[0], text);
    $('poster-title').textContent = text(poster.primaryFields[0].value);
    showField('poster-footer', poster.footerFields[0], text);
    drawQr($('poster-barcode'), pass.barcodes[0].message, 2);
    $('poster-actions').replaceChildren(...(pass.featuredActions || []).map((action) => {
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.href = action.url;
      link.textContent = ACTION_NAMES[action.type] || action.type;
      const target = document.createElement('small');
      target.textContent = action.url;
      link.append(target);
      item.append(link);
      return item;
    }));
  }

  function showField(id, field, text) {
    $(id + '-label').textContent = text(field.label);
    $(id).textContent = typeof field.value === 'number' ? numbers.format(field.value) : text(field.value);
  }

  $('create').addEventListener('click', createMember);
  for (const button of document.querySelectorAll('.events button')) {
    button.addEventListener('click', () => send(button));
  }
  setInterval(refresh, POLL_MS);
})();
