// A Konnect emulator in a worker thread, for the apply bench: the client under test and the server it talks to then
// run on two threads (two cores), as an apply and a remote Konnect do, instead of taking turns on one event loop,
// where steps in flight could never be faster than one after the other. One worker serves one fresh emulator at a
// time; its modules and the spec's validators stay compiled between runs.
//   { cmd: 'start' } → { url }    { cmd: 'check' } → { names, violations, requests }    { cmd: 'stop' } → {}
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';

const require = createRequire(import.meta.url);
const { startTestKonnect } = require(workerData.fakes);
let k;

parentPort.on('message', async ({ cmd }) => {
  try {
    if (cmd === 'start') {
      k = await startTestKonnect();
      parentPort.postMessage({ url: k.emu.url });
    } else if (cmd === 'check') {
      parentPort.postMessage({
        names: [...k.emu.store.providers.values(), ...k.emu.store.strategies.values()].map((r) => r.name),
        violations: k.emu.specViolations.slice(0, 3),
        requests: k.emu.requests.length,
      });
    } else if (cmd === 'stop') {
      await k?.stop();
      k = undefined;
      parentPort.postMessage({});
    }
  } catch (err) {
    parentPort.postMessage({ error: String(err?.stack ?? err) });
  }
});
