/**
 * Debian's Chromium for the page tests and the browser bench, started headless with the flags this closed
 * network needs (without the background-networking ones it keeps dialling out and being refused).
 */
export const CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
