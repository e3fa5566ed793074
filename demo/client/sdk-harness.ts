/**
 * Exposes the browser SDK to e2e tests on a page that has not initialised it, so each test
 * chooses the options (including bad ones) itself.
 */
import * as sdk from 'flowtrace/client';

declare global {
  var flowtraceSdk: typeof sdk;
}

globalThis.flowtraceSdk = sdk;
document.querySelector('#ready')!.textContent = 'ready';
