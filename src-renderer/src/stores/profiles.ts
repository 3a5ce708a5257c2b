import type { ProfileSummary } from '@api/contract'
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { describeError, modlab } from '../api'

export const useProfilesStore = defineStore('profiles', () => {
  const profiles = ref<ProfileSummary[]>([])
  const loaded = ref(false)
  const error = ref('')

  async function load() {
    try {
      profiles.value = await modlab.profiles.list()
      error.value = ''
    } catch (failure) {
      error.value = describeError(failure)
    } finally {
      loaded.value = true
    }
  }

  return { profiles, loaded, error, load }
})
