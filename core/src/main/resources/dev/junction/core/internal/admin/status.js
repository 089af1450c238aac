// Junction's status page: reads the admin endpoint's status JSON every few seconds and draws it. Every URL is
// relative to the page, which is always served at the admin path with a trailing slash. Text from the server is
// set as text, never as markup.
'use strict';

(() => {
  const REFRESH_MILLIS = 2000;
  const POINTS = 90; // three minutes of history per chart
  const TOKEN_KEY = 'junction.admin.token';
  const SVG = 'http://www.w3.org/2000/svg';

  const tokenRequired = document.documentElement.dataset.token === 'required';
  let token = sessionStorage.getItem(TOKEN_KEY);
  let timer = null;
  let refreshes = 0;
  const routes = new Map(); // route name -> {section, charts, rows, last}

  class Unauthorized extends Error {}

  function byId(id) {
    return document.getElementById(id);
  }

  function element(name, attributes, text) {
    const node = document.createElement(name);
    for (const [key, value] of Object.entries(attributes || {})) {
      node.setAttribute(key, value);
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  // Calls the admin endpoint; resolves to the answer's JSON, rejects with its error.
  async function call(path, method) {
    const headers = token ? {Authorization: 'Bearer ' + token} : {};
    const response = await fetch(path, {method: method || 'GET', headers, cache: 'no-store'});
    if (response.status === 401) {
      throw new Unauthorized('the admin token was refused');
    }
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      throw new Error(body.error || 'status ' + response.status);
    }
    return body;
  }

  function say(text, problem) {
    const message = byId('message');
    message.textContent = text;
    message.className = problem ? 'problem' : '';
    message.hidden = !text;
  }

  function askForToken(problem) {
    clearTimeout(timer);
    byId('token-form').hidden = false;
    byId('token-problem').textContent = problem || '';
    byId('run-checks').disabled = true;
    byId('token').focus();
  }

  function failed(error, doing) {
    if (error instanceof Unauthorized) {
      token = null;
      sessionStorage.removeItem(TOKEN_KEY);
      askForToken(error.message);
    } else {
      say(doing + ': ' + error.message, true);
    }
  }

  async function refresh() {
    clearTimeout(timer);
    try {
      const status = await call('status');
      drawConfiguration(status.configuration);
      drawCluster(status.cluster);
      draw(status.routes || []);
      refreshes++;
      document.body.dataset.refreshes = String(refreshes);
      byId('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
      byId('run-checks').disabled = false;
      if (byId('message').className === 'problem' && byId('message').dataset.kind === 'refresh') {
        say('');
      }
    } catch (error) {
      failed(error, 'Cannot read the status');
      byId('message').dataset.kind = 'refresh';
      if (error instanceof Unauthorized) {
        return;
      }
    }
    timer = setTimeout(refresh, REFRESH_MILLIS);
  }

  // The configuration running, a reload refused with its problems, and the pools changed at run time.
  function drawConfiguration(configuration) {
    const section = byId('configuration');
    if (!configuration) {
      section.hidden = true;
      return;
    }
    section.hidden = false;
    section.replaceChildren(element('span', {class: 'muted', id: 'generation'}, 'configuration '
        + configuration.generation + (configuration.source ? ' from ' + configuration.source : '') + ', applied '
        + new Date(configuration.appliedAt).toLocaleTimeString()));
    const last = configuration.lastReload;
    if (last && last.outcome === 'REJECTED') {
      const refused = element('div', {class: 'problem', id: 'reload-refused'}, 'Reload refused ('
          + last.trigger + ', ' + new Date(last.at).toLocaleTimeString() + '); the configuration before keeps serving:');
      const list = element('ul');
      for (const problem of last.problems) {
        list.appendChild(element('li', {}, problem));
      }
      refused.appendChild(list);
      section.appendChild(refused);
    }
    if (configuration.runtimeChanges && configuration.runtimeChanges.length > 0) {
      section.appendChild(element('div', {class: 'muted', id: 'runtime-changes'}, 'changed at run time, until the'
          + ' next reload: ' + configuration.runtimeChanges.join('; ')));
    }
  }

  // The worker processes of cluster mode: one row each, and how the last rolling restart went.
  function drawCluster(cluster) {
    const section = byId('cluster');
    if (!cluster) {
      section.hidden = true;
      return;
    }
    section.hidden = false;
    const restart = cluster.rollingRestart;
    let summary = cluster.up + ' of ' + cluster.workers.length + ' up; supervisor pid ' + cluster.supervisorPid;
    if (restart) {
      summary += restart.running ? '; rolling restart under way (' + restart.replaced + ' replaced)'
          : '; last rolling restart (' + restart.trigger + ') ' + (restart.problem ? 'stopped after '
              + restart.replaced + ': ' + restart.problem : 'replaced ' + restart.replaced);
    }
    byId('cluster-summary').textContent = summary;
    byId('rolling-restart').disabled = Boolean(restart && restart.running);
    const rows = cluster.workers.map((worker) => {
      const row = element('tr', {'data-worker': String(worker.id)});
      const state = element('span', {class: 'badge ' + (worker.state === 'up' ? 'up'
          : worker.state === 'crash-loop' ? 'down' : 'warn')}, worker.state);
      const cells = [element('td', {}, String(worker.id)), element('td', {}), element('td', {class: 'number'},
          worker.pid === null ? '–' : String(worker.pid)), element('td', {class: 'number'}, String(worker.port)),
          element('td', {class: 'number'}, worker.pid === null ? '–' : duration(worker.uptimeSeconds)),
          element('td', {class: 'number'}, String(worker.restarts)), element('td', {class: 'number'},
              worker.lastExitCode === null ? '–' : String(worker.lastExitCode)),
          element('td', {class: 'why'}, worker.problem || '')];
      cells[1].appendChild(state);
      row.append(...cells);
      return row;
    });
    byId('workers').replaceChildren(...rows);
  }

  function duration(seconds) {
    if (seconds < 120) {
      return seconds + ' s';
    }
    return seconds < 7200 ? Math.floor(seconds / 60) + ' min' : Math.floor(seconds / 3600) + ' h';
  }

  async function rollingRestart() {
    const button = byId('rolling-restart');
    button.disabled = true;
    try {
      await call('cluster/restart', 'POST');
      say('Rolling restart started: each worker is replaced once its successor answers.');
      byId('message').dataset.kind = 'action';
    } catch (error) {
      failed(error, 'The rolling restart did not start');
      byId('message').dataset.kind = 'action';
    }
    await refresh();
  }

  function draw(list) {
    const seen = new Set();
    const main = byId('routes');
    for (const route of list) {
      seen.add(route.name);
      let view = routes.get(route.name);
      if (!view) {
        view = routeView(route);
        routes.set(route.name, view);
      }
      main.appendChild(view.section); // keeps the order of the configuration
      update(view, route);
    }
    for (const [name, view] of routes) {
      if (!seen.has(name)) {
        view.section.remove();
        routes.delete(name);
      }
    }
  }

  function routeView(route) {
    const section = element('section', {class: 'route', 'data-route': route.name});
    const head = element('div', {class: 'route-head'});
    head.append(element('h2', {}, route.name), element('code', {}, route.prefix),
        element('span', {class: 'muted'}, route.strategy), element('span', {class: 'route-state'}));
    const charts = element('div', {class: 'charts'});
    const view = {section, rows: new Map(), last: null, backendsLast: new Map(), charts: {}};
    for (const [key, caption] of [['rate', 'requests / s'], ['errors', 'errors %'], ['time', 'mean time ms']]) {
      const chart = chartView(caption);
      chart.figure.dataset.chart = key;
      view.charts[key] = chart;
      charts.appendChild(chart.figure);
    }
    const table = element('table');
    const header = element('tr');
    for (const title of ['Backend', 'State', 'Why', 'In flight', 'Tunnels', 'Req/s', 'Requests', 'Failures',
        'Response ms', 'Last check', 'Breaker', '']) {
      header.appendChild(element('th', {}, title));
    }
    table.append(element('thead'), element('tbody'));
    table.tHead.appendChild(header);
    view.body = table.tBodies[0];
    section.append(head, charts, table);
    return view;
  }

  function chartView(caption) {
    const figure = element('figure');
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('class', 'chart');
    svg.setAttribute('viewBox', '0 0 ' + (POINTS - 1) + ' 100');
    svg.setAttribute('preserveAspectRatio', 'none');
    const line = document.createElementNS(SVG, 'polyline');
    svg.appendChild(line);
    const label = element('figcaption', {}, caption);
    const value = element('span', {class: 'value'}, '–');
    label.appendChild(value);
    figure.append(svg, label);
    return {figure, line, value, points: []};
  }

  function plot(chart, point, text) {
    chart.points.push(point);
    if (chart.points.length > POINTS) {
      chart.points.shift();
    }
    const known = chart.points.filter((p) => p !== null);
    const top = Math.max(1, ...known) * 1.1;
    const offset = POINTS - chart.points.length;
    chart.line.setAttribute('points', chart.points
        .map((p, i) => p === null ? null : (offset + i) + ',' + (100 - (p / top) * 100).toFixed(1))
        .filter((p) => p !== null).join(' '));
    chart.value.textContent = text;
  }

  function update(view, route) {
    const now = performance.now();
    const last = view.last;
    if (last && route.requests >= last.requests) {
      const seconds = Math.max((now - last.at) / 1000, 0.001);
      const requests = route.requests - last.requests;
      const rate = requests / seconds;
      const errors = requests > 0 ? 100 * (route.errors - last.errors) / requests : 0;
      const time = requests > 0 ? (route.totalTimeMillis - last.totalTimeMillis) / requests : null;
      plot(view.charts.rate, rate, rate.toFixed(1));
      plot(view.charts.errors, errors, errors.toFixed(1) + ' %');
      plot(view.charts.time, time, time === null ? '–' : time.toFixed(1));
    }
    view.last = {requests: route.requests, errors: route.errors, totalTimeMillis: route.totalTimeMillis, at: now};

    const available = route.backends.filter((b) => b.available).length;
    const state = view.section.querySelector('.route-state');
    state.textContent = route.panicking ? 'panic: spreading over every backend'
        : available === 0 ? 'no backend takes requests' : available + ' of ' + route.backends.length + ' available';
    state.className = 'route-state badge ' + (route.panicking || available === 0 ? 'down'
        : available < route.backends.length ? 'warn' : 'up');

    const seen = new Set();
    for (const backend of route.backends) {
      seen.add(backend.id);
      let row = view.rows.get(backend.id);
      if (!row) {
        row = backendRow(route.name, backend.id);
        view.rows.set(backend.id, row);
      }
      view.body.appendChild(row.tr);
      fill(view, row, backend, now);
    }
    for (const [id, row] of view.rows) {
      if (!seen.has(id)) {
        row.tr.remove();
        view.rows.delete(id);
      }
    }
  }

  function backendRow(routeName, id) {
    const tr = element('tr', {'data-route': routeName, 'data-backend': id});
    const cells = {};
    for (const key of ['backend', 'state', 'why', 'inFlight', 'tunnels', 'rate', 'requests', 'failures', 'time',
        'check', 'breaker', 'actions']) {
      cells[key] = element('td', {class: key});
      tr.appendChild(cells[key]);
    }
    for (const key of ['inFlight', 'tunnels', 'rate', 'requests', 'failures', 'time']) {
      cells[key].classList.add('number');
    }
    const buttons = {};
    for (const [mode, text, title] of [['open', 'Open', 'hold the breaker open: no requests to this backend'],
        ['closed', 'Close', 'hold the breaker closed whatever the failures'],
        ['automatic', 'Automatic', 'let the backend\'s failures decide']]) {
      const button = element('button', {type: 'button', 'data-mode': mode, title}, text);
      button.addEventListener('click', () => setBreaker(routeName, id, mode, buttons));
      buttons[mode] = button;
      cells.actions.appendChild(button);
    }
    return {tr, cells, buttons};
  }

  function fill(view, row, backend, now) {
    const c = row.cells;
    c.backend.textContent = backend.id;
    c.backend.title = backend.url;
    if (backend.backup) {
      c.backend.appendChild(element('span', {class: 'muted'}, ' (backup)'));
    }
    const word = backend.available ? 'up' : backend.reason.toLowerCase().replace('_', ' ');
    c.state.textContent = '';
    c.state.appendChild(element('span', {class: 'badge ' + (backend.available ? 'up'
        : backend.reason === 'AT_CAPACITY' || backend.reason === 'DRAINING' ? 'warn' : 'down')}, word));
    row.tr.dataset.reason = backend.reason;
    c.why.textContent = backend.explanation;
    c.inFlight.textContent = backend.inFlight;
    c.tunnels.textContent = backend.tunnels;
    const previous = view.backendsLast.get(backend.id);
    c.rate.textContent = previous && backend.requests >= previous.requests
        ? ((backend.requests - previous.requests) / Math.max((now - previous.at) / 1000, 0.001)).toFixed(1) : '–';
    view.backendsLast.set(backend.id, {requests: backend.requests, at: now});
    c.requests.textContent = backend.requests;
    c.failures.textContent = backend.failures;
    c.time.textContent = backend.responseTimeMillis ? backend.responseTimeMillis.toFixed(1) : '–';
    c.check.textContent = backend.lastCheck ? ago(backend.lastCheck) + (backend.lastCheckError
        ? ': ' + backend.lastCheckError : ' ok') : '–';
    c.breaker.textContent = backend.breaker ? backend.breaker.toLowerCase().replace('_', ' ')
        + (backend.breakerMode === 'AUTOMATIC' ? '' : ' (held by an operator)') : 'none';
    const modes = {AUTOMATIC: 'automatic', FORCED_OPEN: 'open', FORCED_CLOSED: 'closed'};
    for (const [mode, button] of Object.entries(row.buttons)) {
      button.hidden = !backend.breakerMode;
      button.setAttribute('aria-pressed', String(modes[backend.breakerMode] === mode));
    }
  }

  function ago(instant) {
    const seconds = Math.max(0, Math.round((Date.now() - Date.parse(instant)) / 1000));
    return seconds < 60 ? seconds + ' s ago' : Math.round(seconds / 60) + ' min ago';
  }

  async function setBreaker(routeName, id, mode, buttons) {
    Object.values(buttons).forEach((button) => { button.disabled = true; });
    try {
      const answer = await call('breakers/' + encodeURIComponent(routeName) + '/' + encodeURIComponent(id)
          + '?mode=' + mode, 'POST');
      say('Route ' + answer.route + ', backend ' + answer.backend + ': breaker ' + answer.state.toLowerCase()
          + ', ' + (answer.mode === 'AUTOMATIC' ? 'automatic' : 'held by an operator') + '.');
      byId('message').dataset.kind = 'action';
    } catch (error) {
      failed(error, 'The breaker was not changed');
      byId('message').dataset.kind = 'action';
    } finally {
      Object.values(buttons).forEach((button) => { button.disabled = false; });
    }
    await refresh();
  }

  async function runChecks() {
    const button = byId('run-checks');
    button.disabled = true;
    try {
      const status = await call('checks', 'POST');
      const backends = (status.routes || []).flatMap((route) => route.backends);
      say('Health checks ran: ' + backends.filter((b) => b.available).length + ' of ' + backends.length
          + ' backends take requests.');
      byId('message').dataset.kind = 'action';
    } catch (error) {
      failed(error, 'The health checks did not run');
      byId('message').dataset.kind = 'action';
    } finally {
      button.disabled = false;
    }
    await refresh();
  }

  byId('run-checks').addEventListener('click', runChecks);
  byId('rolling-restart').addEventListener('click', rollingRestart);
  byId('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    token = byId('token').value;
    sessionStorage.setItem(TOKEN_KEY, token);
    byId('token-form').hidden = true;
    byId('token').value = '';
    refresh();
  });

  if (tokenRequired && !token) {
    askForToken('');
  } else {
    refresh();
  }
})();
