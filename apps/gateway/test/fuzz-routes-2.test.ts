// The route fuzz test (support/fuzz-routes.ts): share 2 of 2 of the generated requests.
// fuzz-routes-1.test.ts sends the other share, each file under 20 s.
import { describeRouteFuzz } from "./support/fuzz-routes.js"

describeRouteFuzz(2, 2)
