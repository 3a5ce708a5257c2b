import type { AppInfo } from '@api/contract'
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { describeError, modlab } from '../api'

export const useAppStore = defineStore('app', () => {
  const info = ref<AppInfo>()
  const error = ref('')

  async function load() {
    try {
      info.value = await modlab.app.info()
    } catch (failure) {
      error.value = describeError(failure)
    }
  }

  return { info, error, load }
})
