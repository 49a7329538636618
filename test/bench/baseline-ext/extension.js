'use strict';
// The bench baseline: Konnect DCR's activation shape (a CommonJS main whose activate() returns a small API) with
// nothing in it. `npm run bench` activates it in the same extension host as Konnect DCR, and packs it with vsce the
// same way, so each figure comes with an "empty extension" floor measured in the same run.
function activate() {
  return { activatedAt: Date.now() };
}
function deactivate() {}
module.exports = { activate, deactivate };
