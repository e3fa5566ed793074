/**
 * The viewer's only script, inline and allowed by its hash in the Content-Security-Policy.
 *
 * - Live pages (`#ft-results[data-live]`) re-fetch themselves and swap in the new results, so rows
 *   are rendered by one renderer only (the server's), and rows a person opened stay open; a poll
 *   that finds the same `data-digest` changes nothing. The list polls for as long as it is open;
 *   a trace page polls until its trace is whole (no open spans, no missing parents) and then
 *   stable for two more polls, or until nothing changed for {@link TRACE_GIVE_UP_POLLS} polls.
 *   Nothing is fetched while the tab is hidden.
 * - A row's details and a folded group's rows are fetched when first opened, and rows past the
 *   first 50 as they scroll near (trace pages leave them out to stay small).
 * - "Copy as assertion" fetches the tree text when first wanted and copies it; where the
 *   clipboard is refused it selects the text.
 * - A `#span-…` link asks the server where its row is, loads that chunk of rows and opens the
 *   folded groups that hide it.
 *
 * Kept as plain text rather than a function's `toString()`: a bundler or tsx (keepNames) may
 * inject helpers into a function body that do not exist in the page.
 */
import { createHash } from 'node:crypto';

/** How often an open list page looks for new traces. */
export const LIVE_LIST_INTERVAL_MS = 2000;
/** How often an unsettled trace page looks for more of its trace. */
export const LIVE_TRACE_INTERVAL_MS = 1000;
/** A trace page stops polling after this many polls without a change. */
export const TRACE_GIVE_UP_POLLS = 120;

const CODE = `(()=>{
const results=()=>document.getElementById('ft-results');
const keyOf=(li)=>li.id||li.dataset.group||'';
// One load per element at a time, awaitable by every caller; a failed one may be tried again.
const pending=new WeakMap();
const once=(element,load)=>{
  let done=pending.get(element);
  if(!done){done=load().catch(()=>pending.delete(element));pending.set(element,done)}
  return done;
};
// A part the server says is gone (404) shows its message; any other failure may be tried again.
const fragment=async(url)=>{
  const response=await fetch(url,{headers:{accept:'text/html'}});
  if(!response.ok&&response.status!==404)throw new Error(String(response.status));
  return response.text();
};
const fill=(details)=>once(details,async()=>{
  const base=details.closest('[data-fragment-base]'),item=details.parentElement;
  if(!base||!item)return;
  const group=item.classList.contains('ft-group');
  const target=details.querySelector(group?':scope>ol':':scope>.ft-detail');
  const id=group?item.dataset.group:item.id.slice(5);
  if(target&&id)target.innerHTML=await fragment(base.dataset.fragmentBase+(group?'group/':'span/')+id);
});
const loadRows=(li)=>once(li,async()=>{
  const base=li.closest('[data-fragment-base]');
  if(!base)return;
  li.innerHTML='<ol>'+await fragment(base.dataset.fragmentBase+'rows/'+li.dataset.rows)+'</ol>';li.classList.remove('ft-lazy');li.style.height='';
});
const loadText=(pre)=>once(pre,async()=>{
  if(!pre.dataset.src)return;
  const response=await fetch(pre.dataset.src,{headers:{accept:'text/plain'}});
  if(!response.ok)throw new Error(String(response.status));
  pre.textContent=await response.text();
});
const near=new IntersectionObserver((entries)=>{for(const entry of entries)if(entry.isIntersecting){near.unobserve(entry.target);loadRows(entry.target)}},{rootMargin:'800px 0px'});
const watch=()=>{for(const li of document.querySelectorAll('li.ft-lazy'))near.observe(li)};
watch();
document.addEventListener('toggle',(event)=>{
  const details=event.target;
  if(!(details instanceof HTMLDetailsElement)||!details.open)return;
  const pre=details.querySelector(':scope>pre[data-src]');
  if(pre)loadText(pre);else fill(details);
},true);
let quiet=0;
const poll=async()=>{
  const current=results();
  if(!current||!current.dataset.live)return;
  const trace=current.dataset.live==='trace';
  if(!document.hidden){
    try{
      const response=await fetch(location.href,{headers:{accept:'text/html'},cache:'no-store'});
      const html=await response.text();
      // The digest says whether anything changed: an unchanged page is neither parsed nor redrawn,
      // and rows a person opened and chunks loaded since stay as they are.
      const digest=/<div id="ft-results"[^>]* data-digest="([^"]*)"/.exec(html);
      if(digest&&digest[1]===current.dataset.digest)quiet++;
      else{
        const doc=new DOMParser().parseFromString(html,'text/html');
        const next=doc.getElementById('ft-results');
        if(!next)throw new Error('no results');
        const open=new Set([...current.querySelectorAll('li>details[open]')].map((d)=>keyOf(d.parentElement)));
        for(const li of next.querySelectorAll('li[id],li[data-group]'))if(open.has(keyOf(li)))li.firstElementChild.setAttribute('open','');
        current.replaceWith(next);
        for(const details of next.querySelectorAll('li>details[open]'))fill(details);
        watch();
        if(doc.title)document.title=doc.title;
        const heading=doc.getElementById('ft-title'),mine=document.getElementById('ft-title');
        if(heading&&mine)mine.textContent=heading.textContent;
        quiet=0;
      }
    }catch{quiet++}
  }
  const now=results();
  if(trace&&now){
    if(now.dataset.state==='complete'&&quiet>=2)return;
    if(quiet>=${TRACE_GIVE_UP_POLLS}){const s=document.getElementById('ft-state');if(s)s.textContent+=' Stopped updating: nothing new arrived for a while; reload to look again.';return}
  }
  setTimeout(poll,trace?${LIVE_TRACE_INTERVAL_MS}:${LIVE_LIST_INTERVAL_MS});
};
const live=results();
if(live&&live.dataset.live)setTimeout(poll,live.dataset.live==='trace'?${LIVE_TRACE_INTERVAL_MS}:${LIVE_LIST_INTERVAL_MS});
document.addEventListener('click',async(event)=>{
  const button=event.target instanceof Element&&event.target.closest('[data-copy]');
  if(!button)return;
  const source=document.getElementById(button.dataset.copy);
  const say=document.getElementById(button.dataset.copy+'-status');
  if(!source)return;
  await loadText(source);
  if(!source.textContent){if(say)say.textContent='The assertion text did not load: try again, or reload the page.';return}
  try{
    await navigator.clipboard.writeText(source.textContent);
    if(say)say.textContent='Copied. Paste it into expect(trace).toHaveSpanTree(\`…\`).';
  }catch{
    const box=source.closest('details');if(box)box.open=true;
    const range=document.createRange();range.selectNodeContents(source);
    const selection=getSelection();if(selection){selection.removeAllRanges();selection.addRange(range)}
    if(say)say.textContent='The browser refused the clipboard: the text is selected, copy it with Ctrl+C.';
  }
});
// A link to a span whose row is not drawn yet asks the server where it is: which chunk of rows to
// load and which folded groups to open (a guess from the page alone would load every chunk).
const reveal=async()=>{
  const id=/^#span-([0-9a-f]{16})$/.exec(location.hash);
  if(!id)return;
  const base=document.querySelector('[data-fragment-base]');
  if(!document.getElementById('span-'+id[1])&&base){
    try{
      const response=await fetch(base.dataset.fragmentBase+'place/'+id[1],{headers:{accept:'application/json'}});
      if(!response.ok)return;
      const place=await response.json();
      const chunk=place.rows===null?null:document.querySelector('li.ft-lazy[data-rows="'+place.rows+'"]');
      if(chunk)await loadRows(chunk);
      for(const group of place.groups){
        const details=document.querySelector('li[data-group="'+group+'"]>details');
        if(!details)return;
        details.open=true;await fill(details);
      }
    }catch{return}
  }
  const target=document.getElementById('span-'+id[1]);
  if(!target)return;
  for(let box=target.parentElement&&target.parentElement.closest('details');box;box=box.parentElement&&box.parentElement.closest('details'))box.open=true;
  target.scrollIntoView({block:'center'});
};
addEventListener('hashchange',reveal);reveal();
})()`;

/**
 * The script element both viewer pages end with. Typed `string` so that the declaration file does
 * not carry the whole script a second time as a literal type (6.5 KB of the package).
 */
export const VIEWER_SCRIPT: string = `<script>${CODE}</script>`;

/**
 * The viewer's Content-Security-Policy: span data is untrusted, so no script runs but the
 * viewer's own (allowed by its hash), and it may fetch only from this origin.
 */
export const VIEWER_CSP = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${createHash('sha256').update(CODE).digest('base64')}'; connect-src 'self'; form-action 'self'; base-uri 'none'`;
