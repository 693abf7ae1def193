// The unit picker (templates/org/picker/widget.html): keyboard, chips and "and below"; htmx loads the matches.
// Listeners sit on the document, so pickers that arrive in an htmx swap work without being set up.
(function () {
  "use strict";
  if (window.jianfuUnitPicker) return;
  window.jianfuUnitPicker = true;

  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };

  function pickerOf(el) { return el && el.closest ? el.closest("[data-unit-picker]") : null; }
  function inputOf(picker) { return picker.querySelector("input[role=combobox]"); }
  function listOf(picker) { return document.getElementById(inputOf(picker).getAttribute("aria-controls")); }
  function chipsOf(picker) { return picker.querySelector("[data-unit-chips]"); }
  function options(picker) {
    return Array.prototype.slice.call(listOf(picker).querySelectorAll("[role=option]:not([aria-disabled=true])"));
  }
  function chosenIds(picker) {
    return Array.prototype.map.call(chipsOf(picker).children, function (li) { return li.dataset.unitId; });
  }

  function setOpen(picker, open) {
    var list = listOf(picker), input = inputOf(picker);
    open = open && list.children.length > 0;
    list.hidden = !open;
    input.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open) setActive(picker, null);
  }

  function setActive(picker, option) {
    var input = inputOf(picker);
    each(listOf(picker).querySelectorAll("[role=option]"), function (o) { o.classList.toggle("active", o === option); });
    if (option) {
      input.setAttribute("aria-activedescendant", option.id);
      if (option.scrollIntoView) option.scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function activeOption(picker) {
    var id = inputOf(picker).getAttribute("aria-activedescendant");
    return id ? document.getElementById(id) : null;
  }

  function move(picker, step) {
    var opts = options(picker);
    if (!opts.length) return;
    var i = opts.indexOf(activeOption(picker));
    i = i < 0 ? (step > 0 ? 0 : opts.length - 1) : (i + step + opts.length) % opts.length;
    setActive(picker, opts[i]);
  }

  function announce(picker, key, name) {
    var status = picker.querySelector("[data-unit-status]");
    if (status) status.textContent = (picker.dataset[key] || "").replace("{name}", name);
  }

  // The "nothing chosen" line and the one "and below" summary the burden preview reads.
  function sync(picker) {
    var chips = chipsOf(picker).children;
    var empty = picker.querySelector("[data-unit-empty]");
    if (empty) empty.hidden = chips.length > 0;
    var every = picker.querySelector("[data-unit-every-below]");
    if (every) {
      var boxes = chipsOf(picker).querySelectorAll("[data-unit-below]");
      every.value = boxes.length && Array.prototype.every.call(boxes, function (b) { return b.checked; }) ? "on" : "";
    }
    each(listOf(picker).querySelectorAll("[role=option][data-unit-id]"), function (o) {
      o.setAttribute("aria-selected", chosenIds(picker).indexOf(o.dataset.unitId) >= 0 ? "true" : "false");
    });
  }

  function changed(picker) {
    sync(picker);
    picker.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function add(picker, option) {
    var id = option && option.dataset.unitId, name = option && option.dataset.unitName;
    var input = inputOf(picker);
    if (!id) return;
    if (chosenIds(picker).indexOf(id) < 0) {
      if (!("multiple" in picker.dataset)) chipsOf(picker).innerHTML = "";
      var chip = picker.querySelector("template[data-unit-chip]").content.firstElementChild.cloneNode(true);
      chip.dataset.unitId = id;
      var value = chip.querySelector("[data-unit-value]");
      value.name = picker.dataset.name;
      value.value = id;
      chip.querySelector("[data-unit-name]").textContent = name;
      chip.querySelector("[data-unit-meta]").textContent = option.dataset.unitMeta || "";
      var below = chip.querySelector("[data-unit-below]");
      if (below) {
        below.name = picker.dataset.name + "_below";
        below.value = id;
      }
      var remove = chip.querySelector("[data-unit-remove]");
      remove.setAttribute("aria-label", (remove.dataset.label || "").replace("{name}", name));
      chipsOf(picker).appendChild(chip);
      announce(picker, "added", name);
      changed(picker);
    }
    input.value = "";
    setOpen(picker, false);
    listOf(picker).innerHTML = "";
    input.focus();
  }

  function removeChip(picker, chip) {
    var name = chip.querySelector("[data-unit-name]").textContent;
    chip.remove();
    announce(picker, "removed", name);
    changed(picker);
    inputOf(picker).focus();
  }

  function askForMatches(input) { input.dispatchEvent(new CustomEvent("unitpicker:open")); }

  document.addEventListener("keydown", function (e) {
    var picker = pickerOf(e.target);
    if (!picker || e.target !== inputOf(picker)) return;
    var list = listOf(picker);
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (list.hidden) {
        if (list.children.length) setOpen(picker, true); else askForMatches(e.target);
      }
      move(picker, e.key === "ArrowDown" ? 1 : -1);
    } else if (e.key === "Enter") {
      // Enter chooses; it never sends the form from the search box.
      e.preventDefault();
      if (!list.hidden) add(picker, activeOption(picker) || options(picker)[0]);
    } else if (e.key === "Escape") {
      if (!list.hidden) {
        e.preventDefault();
        setOpen(picker, false);
      }
    } else if (e.key === "Backspace" && e.target.value === "") {
      var last = chipsOf(picker).lastElementChild;
      if (last) {
        e.preventDefault();
        removeChip(picker, last);
      }
    } else if (e.key === "Tab") {
      setOpen(picker, false);
    }
  });

  document.addEventListener("mousedown", function (e) {
    // Keep the focus in the search box while an option is clicked.
    if (pickerOf(e.target) && e.target.closest("[role=option]")) e.preventDefault();
  });

  document.addEventListener("click", function (e) {
    var picker = pickerOf(e.target);
    if (!picker) return;
    var option = e.target.closest("[role=option][data-unit-id]");
    var remove = e.target.closest("[data-unit-remove]");
    if (option) add(picker, option);
    else if (remove) removeChip(picker, remove.closest("li"));
    else if (e.target === inputOf(picker) && listOf(picker).hidden) askForMatches(e.target);
  });

  document.addEventListener("change", function (e) {
    var picker = pickerOf(e.target);
    if (!picker) return;
    // Typing in the search box changes nothing the form sends.
    if (e.target === inputOf(picker)) e.stopPropagation();
    else if (e.target.matches("[data-unit-below]")) sync(picker);
  }, true);

  document.addEventListener("focusout", function (e) {
    var picker = pickerOf(e.target);
    if (!picker) return;
    setTimeout(function () { if (!picker.contains(document.activeElement)) setOpen(picker, false); }, 150);
  });

  document.addEventListener("htmx:afterSwap", function (e) {
    var picker = pickerOf(e.target);
    if (!picker || e.target !== listOf(picker)) return;
    sync(picker);
    setOpen(picker, document.activeElement === inputOf(picker));
  });
})();
