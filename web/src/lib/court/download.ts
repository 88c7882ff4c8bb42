// Offers a text file as a download (a Blob behind an object URL and a clicked <a download>). Returns the URL so the
// page can keep a "download again" link; revoke it with URL.revokeObjectURL when done.
export function offerDownload(fileName: string, content: string, type = "application/json"): string {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.rel = "noopener";
  link.style.display = "none";
  document.body.append(link);
  link.click();
  link.remove();
  return url;
}
