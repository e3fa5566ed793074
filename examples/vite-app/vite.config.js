// #region readme-vite
import { defineConfig } from 'vite';
import { flowtrace } from 'flowtrace/vite';

// Keeps every span inside a flow parented right across native `await`.
export default defineConfig({ plugins: [flowtrace()] });
// #endregion readme-vite
