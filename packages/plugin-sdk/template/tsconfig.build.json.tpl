{
  "extends": "__BASE_TSCONFIG__",
  "compilerOptions": {
    "rootDir": "src",
    "outDir": "dist"
  },
  "include": ["src"]
}
