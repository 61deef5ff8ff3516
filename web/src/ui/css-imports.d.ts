// Stylesheets are imported for their side effect (vite bundles them); they export nothing.
declare module "*.css";
