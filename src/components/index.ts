export { default as CommandOutput } from './CommandOutput.astro';
export { default as Lab } from './Lab.astro';
export { default as LabStep } from './LabStep.astro';
export { default as Version } from './Version.astro';
export { default as PacketWalk } from './PacketWalk.astro';
