// `ng serve` (port 3000) forwards the API to the backend: BACKEND_URL, by default the backend's
// own default address. Server-sent events (live status, streamed answers) pass through as they come.
const target = process.env.BACKEND_URL ?? 'http://localhost:8000';

export default {
  '/routes': { target, secure: false, changeOrigin: true },
  '/health': { target, secure: false, changeOrigin: true },
};
