# The frozen Python parts of eventio's firmware: our asyncio package (upstream's asyncio files
# are not used), the legacy uasyncio name, and the eventio module.  Paths are relative to
# this file's folder.
package("asyncio")
module("uasyncio.py")
module("eventio.py")
