# davshare on the embedded default: SQLite in the /data volume.
#   docker build -t davshare .
#   docker run -d -p 5232:5232 -v davshare-data:/data davshare
#   docker exec -it <container> davshare --config /etc/davshare.conf user add you@example.com
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY src ./src
COPY plugins ./plugins
RUN pip install --no-cache-dir ".[postgresql]"
RUN printf '[server]\nhost = 0.0.0.0\n[storage]\ndata_dir = /data\n' > /etc/davshare.conf
VOLUME /data
EXPOSE 5232
CMD ["davshare", "--config", "/etc/davshare.conf", "serve"]
