'use strict';
// Entry of dist/undici.js: the parts of undici the core uses (Agent, ProxyAgent, Dispatcher#request, errors), taken
// from undici's own modules so that fetch, WebSocket, mocks and caches are not bundled. Same API as require('undici')
// for these names, which is what the core sees in unit tests.
const Dispatcher = require('undici/lib/dispatcher/dispatcher');
const api = require('undici/lib/api');
Object.assign(Dispatcher.prototype, api);
module.exports = {
  Agent: require('undici/lib/dispatcher/agent'),
  ProxyAgent: require('undici/lib/dispatcher/proxy-agent'),
  errors: require('undici/lib/core/errors'),
};
