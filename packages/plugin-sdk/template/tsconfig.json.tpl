{
  "extends": "__BASE_TSCONFIG__",
  "compilerOptions": {
    "noEmit": true,
    "rootDir": "."
  },
  "include": ["src", "test", "vitest.config.ts"]
}
