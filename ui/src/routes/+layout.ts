// A desktop SPA: no server rendering, no prerendered data.
export const ssr = false;
export const prerender = false;
