export { default as CommandOutput } from './CommandOutput.astro';
