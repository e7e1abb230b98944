// The route fuzz test (support/fuzz-routes.ts): share 3 of 4 of the generated requests.
// fuzz-routes-{1,2,3,4}.test.ts send one share each (every fourth request), each file under 20 s.
import { describeRouteFuzz } from "./support/fuzz-routes.js"

describeRouteFuzz(3, 4)
