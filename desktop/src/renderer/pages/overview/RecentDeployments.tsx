/** Recent deployments across services; filled in when the deployments API is in the tree. */
export function RecentDeployments() {
  return null;
}
