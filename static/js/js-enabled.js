// GOV.UK Frontend: mark the page as having JavaScript (and ES modules) before it is drawn.
// Loaded (not inline) at the top of <body> by base.html, so the Content-Security-Policy
// allows no inline script.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
