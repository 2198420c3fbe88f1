// Runs before the page is painted: lets the CSS fold menus and filters only when app.js can open them.
document.documentElement.classList.add("js");
