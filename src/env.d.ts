/// <reference types="astro/client" />

// tsc cannot read .astro files (the Astro language server can); to tsc a component is an opaque value.
declare module '*.astro' {
  const component: (props: Record<string, unknown>) => unknown;
  export default component;
}
