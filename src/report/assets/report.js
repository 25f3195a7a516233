// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The rmmhunt developers
// The HTML report's one script, embedded at build time
// (src/report/assets/embed.sed) and named by its SHA-256 in the page's
// Content-Security-Policy. The page is complete without it: it adds
// sorting by any column (numbers as numbers) and a text filter over the
// finding rows, and marks the page (data-js) so a test can tell it ran.
(function(){'use strict';
var d=document;d.documentElement.setAttribute('data-js','ran');
function txt(r){if(r._t===undefined)r._t=r.textContent.toLowerCase();return r._t;}
var q=d.getElementById('q'),qn=d.getElementById('qn');
if(q){q.hidden=false;q.addEventListener('input',function(){
var s=q.value.trim().toLowerCase(),shown=0;
d.querySelectorAll('.fs').forEach(function(sec){var any=false;
sec.querySelectorAll('table.f>tbody>tr').forEach(function(r){
var ok=!s||txt(r).indexOf(s)>=0;r.hidden=!ok;if(ok){any=true;shown++;}});
sec.hidden=!any;});
if(qn)qn.textContent=s?shown+' rows match':'';});}
var num=/^-?[0-9]+(\.[0-9]+)?$/;
d.querySelectorAll('table.s').forEach(function(t){
if(!t.tHead||!t.tBodies.length)return;var hs=t.tHead.rows[0].cells;
Array.prototype.forEach.call(hs,function(th,i){
th.classList.add('sh');th.tabIndex=0;th.title='Sort by this column';
function go(){var b=t.tBodies[0],asc=th.getAttribute('aria-sort')!=='ascending';
Array.prototype.forEach.call(hs,function(h){h.removeAttribute('aria-sort');});
th.setAttribute('aria-sort',asc?'ascending':'descending');
var v=Array.prototype.map.call(b.rows,function(r,k){
var c=r.cells[i]?r.cells[i].textContent.trim():'';
return{r:r,c:c,n:num.test(c)?parseFloat(c):NaN,k:k};});
v.sort(function(a,b2){var x;
if(!isNaN(a.n)&&!isNaN(b2.n))x=a.n-b2.n;else x=a.c<b2.c?-1:a.c>b2.c?1:0;
return(asc?x:-x)||a.k-b2.k;});
var f=d.createDocumentFragment();v.forEach(function(e){f.appendChild(e.r);});
b.appendChild(f);}
th.addEventListener('click',go);
th.addEventListener('keydown',function(e){
if(e.key==='Enter'||e.key===' '){e.preventDefault();go();}});});});
})();
