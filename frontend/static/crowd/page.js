import { pageData, timeVisit } from "./common.js";

timeVisit(pageData());
