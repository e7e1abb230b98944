# __NAME__

Regional workflow plug-in for verzuimregie (`__ID__`), scaffolded with `verzuimregie-create-plugin`.

- `src/index.ts`: the plug-in: manifest, settings, referral form, workflow, deadlines, help
  catalogue, report columns.
- `test/conformance.test.ts`: the conformance suite every plug-in must pass.
- `test/paths.test.ts`: the region's real paths, walked through the workflow.

See `docs/plugins.md` in the repository for the contract and how a region enables the plug-in.
