// #region readme-client
import { clickFlow, createClientTracing } from 'flowtrace/client';

// Exports to /flowtrace/v1/traces on your server. This production build runs under the Playwright
// example, so it records every flow and answers the test fixture; a real deployment keeps the
// production defaults (sampleRatio 0.1, no test hooks).
createClientTracing({ serviceName: 'notes-web', sampleRatio: 1, testHooks: true });

const button = document.querySelector('#add');
button.addEventListener('click', clickFlow('note.add', async (_event, flow) => {
  const response = await fetch('/api/notes', { method: 'POST' }); // a child of the flow span
  const note = await response.json();
  flow.setAttributes({ 'notes.id': note.id });
  document.querySelector('#status').textContent = `Note ${note.id} added`;
}));
// #endregion readme-client
