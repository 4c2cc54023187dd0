// Kept in a file, not inline, so that the Content-Security-Policy needs no 'unsafe-inline'.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
