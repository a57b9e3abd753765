// Starts GOV.UK Frontend's components (error summary focus, notification banners,
// service navigation menu on small screens...). Loaded as a module by base.html.
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();
