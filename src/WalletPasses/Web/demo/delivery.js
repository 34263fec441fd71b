// The demo page's delivery trace: polls the member's delivery report (the backend's GET
// /api/members/{memberId}/delivery, served to this loopback page by the demo API, so no backend key is in the
// browser) and shows each device's state and the timeline as the member's pass versions travel.
// Every value is set as text, never as markup: device log lines come from devices.
'use strict';

(() => {
  // Polling rather than server-sent events: it works the same under the Functions host, and the report is one
  // range query in the member's partition.
  const POLL_MS = 2000;
  const $ = (id) => document.getElementById(id);
  const time = (value) => (value ? new Date(value).toLocaleTimeString() : '');
  let memberId = null;

  // Device library identifiers are long; the first characters tell a few devices apart.
  const shortDevice = (id) => (id && id.length > 12 ? `${id.slice(0, 12)}…` : id || '');

  function describe(event) {
    const times = event.count > 1 ? ` (×${event.count})` : '';
    switch (event.kind) {
      case 'push':
        return `APNs push to ${shortDevice(event.device)} for version ${event.version}: ${event.status ?? 'no answer'}, ${event.detail}`
          + (event.apnsId ? `, apns-id ${event.apnsId}` : '');
      case 'list':
        return `${shortDevice(event.device)} asked which passes changed and was told this one had${times}`;
      case 'fetch':
        return `Pass fetched: ${event.status}${event.status === 304 ? ' (the device had it)' : ''}, version ${event.version}${times}`;
      case 'google':
        return `Google Wallet object at version ${event.version}: ${event.detail}`;
      case 'log':
        return `Device log: ${event.detail}`;
      default:
        return `${event.kind}: ${event.detail ?? ''}`;
    }
  }

  function cell(text, className) {
    const td = document.createElement('td');
    td.textContent = text;
    if (className) {
      td.className = className;
    }
    return td;
  }

  function render(report) {
    $('delivery').hidden = false;
    const pending = report.pending.length ? `; not yet delivered to ${report.pending.join(' and ')}` : '; delivered to every platform';
    $('delivery-summary').textContent = `Version ${report.version}` + (report.announcedAt ? ` announced at ${time(report.announcedAt)}` : '') + pending;

    $('delivery-devices').tBodies[0].replaceChildren(...report.devices.map((device) => {
      const row = document.createElement('tr');
      row.dataset.device = device.deviceLibraryIdentifier;
      const push = device.pushedAt
        ? `${time(device.pushedAt)}: ${device.pushStatus ?? 'no answer'}` + (device.pushes > 1 ? `, ${device.pushes} pushes` : '') + (device.repushed ? ' (re-pushed)' : '')
        : 'not pushed (installed at this version)';
      row.append(
        cell(shortDevice(device.deviceLibraryIdentifier), 'device'),
        cell(device.state, `state state-${device.state}`),
        cell(push),
        cell(time(device.listedAt)),
        cell(time(device.fetchedAt)));
      return row;
    }));
    $('delivery-devices').hidden = report.devices.length === 0;
    $('delivery-no-devices').hidden = report.devices.length > 0;

    $('delivery-timeline').replaceChildren(...report.timeline.map((event) => {
      const item = document.createElement('li');
      item.dataset.kind = event.kind;
      const at = document.createElement('time');
      at.dateTime = event.at;
      at.textContent = time(event.at);
      item.append(at, ' ', describe(event));
      return item;
    }));
  }

  async function refresh() {
    if (!memberId) {
      return;
    }
    try {
      const response = await fetch(`/api/demo/members/${encodeURIComponent(memberId)}/delivery`, { cache: 'no-store' });
      if (response.ok) {
        render(await response.json());
      }
    } catch {
      // The app restarted or the network blinked: the next poll tries again.
    }
  }

  document.addEventListener('demo:member', (event) => {
    memberId = event.detail;
    refresh();
  });
  setInterval(refresh, POLL_MS);
})();
