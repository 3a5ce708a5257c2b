import { createRouter, createWebHashHistory } from 'vue-router'
import KernelsView from './views/KernelsView.vue'
import LabView from './views/LabView.vue'
import ProfilesView from './views/ProfilesView.vue'
import SessionsView from './views/SessionsView.vue'
import WhatIfView from './views/WhatIfView.vue'

export const NAVIGATION = [
  { path: '/lab', name: 'lab', title: 'Lab', component: LabView },
  { path: '/whatif', name: 'whatif', title: 'What if', component: WhatIfView },
  { path: '/profiles', name: 'profiles', title: 'Profiles', component: ProfilesView },
  { path: '/kernels', name: 'kernels', title: 'Kernels', component: KernelsView },
  { path: '/sessions', name: 'sessions', title: 'Sessions', component: SessionsView },
] as const

// Hash history: the page is a file in Electron, so routes must not be paths.
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', redirect: '/lab' },
    ...NAVIGATION,
    // The editor (CodeMirror, the DTS parser) loads when first opened, not with the first screen.
    {
      path: '/profiles/:id',
      name: 'profile-editor',
      component: () => import('./views/ProfileEditorView.vue'),
    },
    // Two sessions (?a=&b=) or two boots (?bootA=&bootB=) side by side.
    {
      path: '/sessions/compare',
      name: 'compare',
      component: () => import('./views/CompareView.vue'),
    },
    { path: '/:unknown(.*)*', redirect: '/lab' },
  ],
})

router.afterEach((to) => {
  const entry = NAVIGATION.find(
    (item) => item.name === to.name || to.path.startsWith(`${item.path}/`),
  )
  document.title = entry ? `${entry.title} · modlab` : 'modlab'
})
