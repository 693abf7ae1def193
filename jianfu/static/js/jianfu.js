// Behaviour without inline scripts, so the content security policy can forbid them.
(function () {
  "use strict";
  function onReady(fn) { if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn); }

  function initCharts(root) {
    if (!window.echarts) return;
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      if (el.dataset.ready) return;
      var source = document.getElementById(el.dataset.source);
      if (!source) return;
      var rows = JSON.parse(source.textContent);
      var labelKey = el.dataset.labelKey || "label", valueKey = el.dataset.valueKey || "value";
      var chart = window.echarts.init(el);
      var series = [{ name: el.dataset.seriesNow || "", type: el.dataset.chart, data: rows.map(function (r) { return r[valueKey]; }), itemStyle: { color: "#b71c1c" } }];
      if (el.dataset.compareKey) {
        series.push({ name: el.dataset.seriesThen || "", type: el.dataset.chart, data: rows.map(function (r) { return r[el.dataset.compareKey]; }), itemStyle: { color: "#9aa3ad" } });
      }
      chart.setOption({
        tooltip: {}, legend: el.dataset.compareKey ? {} : undefined, grid: { left: 40, right: 16, top: 30, bottom: 90, containLabel: true },
        xAxis: { type: "category", data: rows.map(function (r) { return r[labelKey]; }), axisLabel: { interval: 0, rotate: 30 } },
        yAxis: { type: "value" },
        series: series
      });
      el.dataset.ready = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  onReady(function () {
    document.querySelectorAll("[data-autosubmit]").forEach(function (el) {
      el.addEventListener("change", function () { el.form.submit(); });
    });
    var toggle = document.querySelector("[data-toggle-nav]");
    if (toggle) toggle.addEventListener("click", function () {
      var nav = document.getElementById("nav");
      var open = nav.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
    // One menu of the top bar open at a time; a click elsewhere or Escape closes it.
    var menus = document.querySelectorAll("details[data-menu]");
    menus.forEach(function (menu) {
      menu.addEventListener("toggle", function () {
        if (menu.open) menus.forEach(function (other) { if (other !== menu) other.open = false; });
      });
    });
    document.addEventListener("click", function (e) {
      menus.forEach(function (menu) { if (!menu.contains(e.target)) menu.open = false; });
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape") menus.forEach(function (menu) { menu.open = false; });
    });
    // One click answers a group of questions at once (the no-issuance checklist).
    document.querySelectorAll("[data-set-all]").forEach(function (button) {
      button.addEventListener("click", function () {
        button.form.querySelectorAll(button.dataset.setAllTarget).forEach(function (select) {
          select.value = button.dataset.setAll;
          select.dispatchEvent(new Event("change", { bubbles: true }));
        });
      });
    });
    // The 5-list picker offers only the items of the filing's year.
    document.querySelectorAll("select[name=list_item]").forEach(function (select) {
      var date = select.form && select.form.querySelector("input[name=occurs_on]");
      if (!date) return;
      function filter() {
        var year = (date.value || "").slice(0, 4);
        select.querySelectorAll("option[data-year]").forEach(function (option) {
          var other = year && option.dataset.year !== year;
          option.hidden = other;
          option.disabled = other;
          if (other && option.selected) select.value = "";
        });
      }
      date.addEventListener("change", filter);
      filter();
    });
    initCharts(document);
  });
  document.addEventListener("htmx:afterSwap", function (e) { initCharts(e.target); });
})();
