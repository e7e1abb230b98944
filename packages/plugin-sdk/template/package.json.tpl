{
  "name": "@verzuimregie/plugin-__ID__",
  "version": "0.1.0",
  "private": true,
  "type": "module",
  "description": "__NAME__: regional workflow plug-in for verzuimregie.",
  "license": "EUPL-1.2",
  "exports": {
    ".": {
      "types": "./dist/index.d.ts",
      "default": "./dist/index.js"
    }
  },
  "files": ["dist", "src"],
  "scripts": {
    "build": "tsc -p tsconfig.build.json",
    "typecheck": "tsc -p tsconfig.json --noEmit",
    "test": "vitest run"
  },
  "dependencies": {
    "@verzuimregie/domain": "workspace:*",
    "@verzuimregie/plugin-sdk": "workspace:*",
    "effect": "catalog:"
  },
  "devDependencies": {
    "@types/node": "catalog:",
    "typescript": "catalog:",
    "vitest": "catalog:"
  }
}
